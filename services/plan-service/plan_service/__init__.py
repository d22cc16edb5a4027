"""plan-service: the org directory (units, employees, raters) and performance plans (SKP)."""
