"""特困帮扶: assistance cases from application to payment."""
