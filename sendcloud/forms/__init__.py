"""Forms, one module per flow: setup, inbox, sync, mirror, orders, warehouses."""
