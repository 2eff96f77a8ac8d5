from alembic import context
from sqlalchemy import engine_from_config, pool

# Every module that defines tables, so they are all on the metadata (models
# imports youth_models too; both are named so neither can be dropped unseen).
from bot.db import models, satisfaction_models, sms_models, youth_models  # noqa: F401
from bot.db.base import Base
from bot.shared.settings import load_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or load_settings().database_url
config.set_main_option("sqlalchemy.url", url)


def run_migrations() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            # Rasa's tracker store may share the database; its tables are not ours.
            include_name=lambda name, type_, _parent: type_ != "table" or name in Base.metadata.tables,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
