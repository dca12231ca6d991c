# The admin lives with the rest of the staff side; Django looks for it here.
from .staff import accounts_admin, admin  # noqa: F401
