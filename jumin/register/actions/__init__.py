"""Every state change of the register, one `do_<verb>_<noun>()` each (Zulip's zerver/actions habit).

Each runs in one transaction: rules → records → history snapshot → operation log → linkage on commit.
The modules group the change kinds of standard-spec §3: moves, households, vital events, ex-officio
changes, identity items, cancellation; `base` is the engine they share.
"""

from jumin.register.actions.base import approve as do_approve_change
from jumin.register.actions.base import discard as do_discard_change
from jumin.register.actions.base import preview as preview_change
from jumin.register.actions.base import update_draft as do_update_draft
from jumin.register.actions.cancellation import *  # noqa: F401,F403
from jumin.register.actions.ex_officio import *  # noqa: F401,F403
from jumin.register.actions.households import *  # noqa: F401,F403
from jumin.register.actions.identity import *  # noqa: F401,F403
from jumin.register.actions.moves import do_move_in, do_move_out, do_record_move_in_notice, do_relocate
from jumin.register.actions.vital import *  # noqa: F401,F403
