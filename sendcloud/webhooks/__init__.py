"""Inbound Sendcloud webhooks: verify raw bytes, store, acknowledge, process in the worker."""
