"""A table as ``st.dataframe`` takes it without a conversion on every run: an Arrow table, made once per view
by whoever caches the view (lib/web/investment_view, projects_view, indicator_view) and shared read-only
(Arrow tables are immutable)."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa


def for_display(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as Arrow without its index and pandas' metadata (the browser does not read it; it is sent),
    text with 32-bit offsets (pandas' strings come as 64-bit ones; the browser reads both)."""
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    return table.cast(pa.schema([pa.field(f.name, pa.string() if pa.types.is_large_string(f.type) else f.type)
                                 for f in table.schema]))
