"""evaluation-service: periods, periodic and annual evaluations, continuous feedback, the rating
matrix, organisational predicates, distribution checks and calibration, team dashboards."""
