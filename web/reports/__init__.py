"""Monitoring: airtime against plan targets (dashboards, period reports, exports) and the plans themselves."""
