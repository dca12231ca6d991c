# The admin lives with the rest of the staff side; Django looks for it here.
from .staff import admin  # noqa: F401
