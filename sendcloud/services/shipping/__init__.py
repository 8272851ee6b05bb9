"""What Sendcloud will accept for an order: routes, service points, customs (one package)."""
