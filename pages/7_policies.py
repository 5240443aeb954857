"""政策与改革 (placeholder)."""
from lib import layout
from lib.i18n import N_

layout.page_setup(N_("政策与改革"))
