"""HTTP API of plan-service: the blueprints, one module per area.

- directory_api: /api/v1/units, /api/v1/employees, /api/v1/directory/imports
- plans_api: /api/v1/plans (drafts, the status machine, amendments, revisions, copies,
  bulk approval, the cascade view, completion monitoring)
- templates_api: /api/v1/plan-templates (templates per position and their bulk assignment)
- action_plans_api: /api/v1/plans/{plan_id}/actions, .../action-plan, /api/v1/plans/action-plans (rencana aksi)
"""

from .action_plans_api import action_plans_blp
from .directory_api import directory_blp, employees_blp, units_blp
from .plans_api import plans_blp
from .templates_api import templates_blp

BLUEPRINTS = [units_blp, employees_blp, directory_blp, plans_blp, templates_blp, action_plans_blp]
