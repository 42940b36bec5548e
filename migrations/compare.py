"""How autogenerate compares models to the database (shared by env.py and the schema test)."""


def include_object(obj, name, type_, reflected, compare_to):
    """Leave Alembic's own bookkeeping table out of the comparison."""
    return not (type_ == "table" and name == "alembic_version")


def render_item(type_, obj, autogen_context):
    """Our UTCDateTime decorator is a plain timestamptz in the schema."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False
