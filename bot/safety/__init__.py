"""The safety screen: notices crisis and follow-up concerns in what a student writes."""
