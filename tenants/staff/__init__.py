"""Bakery staff: accounts, roles and the permissions each role grants, invitations, passwords."""
