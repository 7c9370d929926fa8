"""Test data built through the services, so it obeys the same rules as real data.

One module per domain; import from `tests.factories`.
"""

from tests.factories.clubs import *  # noqa: F403
from tests.factories.delegations import *  # noqa: F403
from tests.factories.directory import *  # noqa: F403
from tests.factories.events import *  # noqa: F403
from tests.factories.startups import *  # noqa: F403
from tests.factories.users import *  # noqa: F403
