# Loaded by scripts/fuzz/run.sh through SCHEMATHESIS_HOOKS.
#
# The coverage phase builds header values from letters and digits only, so it cannot draw a value
# for the If-Match pattern (every ETag is quoted) and falls back to values that break it. The
# document marks If-Match with format "etag"; this strategy draws exactly what that pattern allows.
import schemathesis
from hypothesis import strategies as st

_revision = st.integers(min_value=0, max_value=10**15 - 1).map(str)

schemathesis.openapi.format(
    "etag",
    st.one_of(
        st.just("*"),
        _revision.map(lambda revision: f'"{revision}"'),
        _revision.map(lambda revision: f'W/"{revision}"'),
    ),
)
