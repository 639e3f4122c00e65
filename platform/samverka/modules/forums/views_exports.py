"""(stub) filled by the forums work."""

from flask import Blueprint

bp = Blueprint("exports", __name__, template_folder="templates")
