"""全文检索 (placeholder)."""
from lib import layout
from lib.i18n import N_

layout.page_setup(N_("全文检索"))
