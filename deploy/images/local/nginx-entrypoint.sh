#!/bin/sh
# The nginx image's /docker-entrypoint.sh, the part the gateway uses: each
# /etc/nginx/templates/NAME.template -> /etc/nginx/conf.d/NAME, replacing only the variables
# whose names NGINX_ENVSUBST_FILTER matches (nginx's own $host, $uri ... stay).
set -eu
if [ "${1:-}" = nginx ]; then
    filter="${NGINX_ENVSUBST_FILTER:-}"
    defined=$(awk "END { for (name in ENVIRON) { if (name ~ /${filter}/) printf \"\${%s} \", name } }" </dev/null)
    for template in /etc/nginx/templates/*.template; do
        [ -f "$template" ] || continue
        output="/etc/nginx/conf.d/$(basename "$template" .template)"
        envsubst "$defined" <"$template" >"$output"
        echo "docker-entrypoint.sh: rendered $template to $output"
    done
fi
exec "$@"
