"""Extension singletons, initialised in create_app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from samverka.db.base import Base
from samverka.db.session import TenantSession

db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSession})
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
