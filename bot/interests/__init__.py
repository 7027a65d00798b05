"""What students say they like: activities and school subjects, each tied to RIASEC types."""
