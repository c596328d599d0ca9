"""The second factor's blueprint with all its pages."""

from seal_app.twofactor import (  # noqa: F401  (each module adds its routes to the blueprint)
    account_routes,
    admin_routes,
    login_routes,
    reauth,
    reopened_routes,
    setup_routes,
)
from seal_app.twofactor.blueprint import bp

__all__ = ["bp"]
