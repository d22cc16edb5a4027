-- One database and one login role per service: each service owns its database and can reach
-- no other. PostgreSQL's image runs this once, when its data volume is first initialised; the
-- passwords come from the container's environment (compose.yaml passes POSTGRES_<SERVICE>_PASSWORD).
-- To add a database to an existing volume, run the same statements with psql by hand.
\set ON_ERROR_STOP on

\getenv plan_password POSTGRES_PLAN_PASSWORD
\getenv activity_password POSTGRES_ACTIVITY_PASSWORD
\getenv evaluation_password POSTGRES_EVALUATION_PASSWORD
\getenv notification_password POSTGRES_NOTIFICATION_PASSWORD

CREATE ROLE kinerja_plan LOGIN PASSWORD :'plan_password';
CREATE DATABASE kinerja_plan OWNER kinerja_plan ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE kinerja_plan FROM PUBLIC;

CREATE ROLE kinerja_activity LOGIN PASSWORD :'activity_password';
CREATE DATABASE kinerja_activity OWNER kinerja_activity ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE kinerja_activity FROM PUBLIC;

CREATE ROLE kinerja_evaluation LOGIN PASSWORD :'evaluation_password';
CREATE DATABASE kinerja_evaluation OWNER kinerja_evaluation ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE kinerja_evaluation FROM PUBLIC;

CREATE ROLE kinerja_notification LOGIN PASSWORD :'notification_password';
CREATE DATABASE kinerja_notification OWNER kinerja_notification ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE kinerja_notification FROM PUBLIC;
