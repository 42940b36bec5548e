"""Test support: database provisioning, factories, mail capture. Not tests themselves."""
