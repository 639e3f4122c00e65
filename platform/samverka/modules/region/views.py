"""(stub) region pages."""

from flask import Blueprint

bp = Blueprint("region", __name__, template_folder="templates")
