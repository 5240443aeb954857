"""Pure Python and pandas: the plan's figures and what is said about them (progress and status, evidence,
scorecard, units, citations, investment figures, checks of uploaded rows, quality notes, indicator facts,
project detail, plan search), the SQL text, where files live, escaping, and the catalog's words for a language
passed in. No Streamlit and no Altair: the build and every run-time layer stand on it."""
