"""activity-service: daily activities (kegiatan harian) with evidence, verification and monthly summaries."""
