"""政治待遇: documents, briefings, bulletins, subscriptions and study material, and who
received them."""
