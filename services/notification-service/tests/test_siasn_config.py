"""Issue 18: the SIASN channel's settings are checked at start-up, naming the one at fault."""

import pytest

from kinerja_shared.config import ConfigError
from notification_service.config import _float
from notification_service.siasn_config import SiasnSettings

FULL = {
    "SIASN_BASE_URL": "https://apimws.bkn.go.id:8243/apisiasn/1.0",
    "SIASN_CONSUMER_KEY": "k",
    "SIASN_CONSUMER_SECRET": "s",
    "SIASN_SSO_TOKEN_URL": "https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token",
    "SIASN_SSO_CLIENT_ID": "c",
    "SIASN_SSO_USERNAME": "u",
    "SIASN_SSO_PASSWORD": "p",
}


def test_off_by_default_and_complete_when_set():
    assert not SiasnSettings.from_env({}, True, _float).sending
    s = SiasnSettings.from_env(FULL, True, _float)
    assert s.sending and s.token_url == "https://apimws.bkn.go.id:8243/oauth2/token" and not s.documents
    assert "consumer_secret" not in repr(s) and "sso_password" not in repr(s)


@pytest.mark.parametrize(
    "env, named",
    [
        ({**FULL, "SIASN_SSO_PASSWORD": ""}, "SIASN_SSO_PASSWORD"),
        ({**FULL, "SIASN_BASE_URL": "http://apimws.bkn.go.id/apisiasn/1.0"}, "SIASN_BASE_URL"),
        ({**FULL, "SIASN_BASE_URL": "ftp://x"}, "SIASN_BASE_URL"),
        ({**FULL, "SIASN_DOCUMENT_URL": "https://evaluation/document.pdf"}, "SIASN_DOCUMENT_URL"),
        ({**FULL, "SIASN_MAX_ATTEMPTS": "0"}, "SIASN_MAX_ATTEMPTS"),
        ({**FULL, "SIASN_DOCUMENTS": "maybe"}, "SIASN_DOCUMENTS"),
    ],
)
def test_a_bad_or_missing_setting_is_named(env, named):
    with pytest.raises(ConfigError, match=named):
        SiasnSettings.from_env(env, True, _float)
