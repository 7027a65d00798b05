"""The student's plan and the services that read and write it."""
