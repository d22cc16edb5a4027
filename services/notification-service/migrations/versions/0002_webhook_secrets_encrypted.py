"""webhook secrets encrypted at rest (NOTIFICATION_WEBHOOK_SECRET_KEYS), their hint stored apart

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 07:45:00
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

subscriptions = sa.table(
    "webhook_subscriptions",
    sa.column("id", sa.String),
    sa.column("secret", sa.Text),
    sa.column("secret_hint", sa.String),
)


def _box():
    """The service's SecretBox, from the settings the migration runs with (the environment otherwise)."""
    from kinerja_shared.config import Settings
    from notification_service.config import NotifySettings

    settings = context.config.attributes.get("settings") or Settings.from_env("notification-service")
    return NotifySettings.from_settings(settings).webhook_secrets


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False)
        batch_op.add_column(sa.Column("secret_hint", sa.String(length=8), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.select(subscriptions.c.id, subscriptions.c.secret)).all()
    if rows:
        box = _box()
        for row in rows:  # every secret is in clear before this revision
            conn.execute(
                sa.update(subscriptions)
                .where(subscriptions.c.id == row.id)
                .values(secret=box.encrypt(row.secret), secret_hint=row.secret[-4:])
            )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.alter_column("secret_hint", existing_type=sa.String(length=8), nullable=False)


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(subscriptions.c.id, subscriptions.c.secret)).all()
    if rows:
        box = _box()
        for row in rows:
            conn.execute(
                sa.update(subscriptions).where(subscriptions.c.id == row.id).values(secret=box.decrypt(row.secret))
            )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("secret_hint")
        batch_op.alter_column("secret", existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False)
