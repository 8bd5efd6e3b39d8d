"""The change screens: one entry per change kind, with its title, template and action (issue #4 item 4).

Every screen follows the same flow: form → 確認画面 (preview: all rules, nothing written) → 登録 (the
action) → 受付票. A refusal puts each message next to its input and keeps everything typed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    kind: str                 # the change kind (register planner)
    title: str
    action: str               # name in jumin.register.actions
    template: str
    subject: str = "household"   # what the screen starts from: "household", "person", "new" or "change"
    household: bool | None = None  # shows the household (default: when it starts from one)

    @property
    def shows_household(self) -> bool:
        return self.subject == "household" if self.household is None else self.household


SCREENS = {s.kind: s for s in [
    Screen("move_in", "転入", "do_move_in", "counter/changes/move_in.html", subject="new"),
    Screen("relocation", "転居", "do_relocate", "counter/changes/relocation.html"),
    Screen("move_out", "転出", "do_move_out", "counter/changes/move_out.html"),
    Screen("move_in_notice", "転入通知の受理", "do_record_move_in_notice", "counter/changes/move_in_notice.html",
           subject="removed"),
    Screen("household_split", "世帯分離", "do_split_household", "counter/changes/household_split.html"),
    Screen("household_merge", "世帯合併", "do_merge_household", "counter/changes/household_merge.html"),
    Screen("household_change", "世帯変更", "do_change_household", "counter/changes/household_change.html"),
    Screen("head_change", "世帯主変更", "do_change_head", "counter/changes/head_change.html"),
    Screen("birth", "出生", "do_record_birth", "counter/changes/birth.html"),
    Screen("death", "死亡", "do_record_death", "counter/changes/death.html", subject="person", household=True),
    Screen("ex_officio_entry", "職権記載", "do_ex_officio_entry", "counter/changes/ex_officio_entry.html", subject="new"),
    Screen("ex_officio_removal", "職権消除", "do_ex_officio_removal", "counter/changes/ex_officio_removal.html"),
    Screen("correction", "職権修正・誤記修正", "do_correct_record", "counter/changes/correction.html", subject="person"),
    Screen("former_surname", "旧氏", "do_record_former_surname", "counter/changes/former_surname.html", subject="person"),
    Screen("alias", "通称", "do_record_alias", "counter/changes/alias.html", subject="person"),
    Screen("individual_number", "個人番号", "do_set_individual_number", "counter/changes/individual_number.html",
           subject="person"),
    Screen("resident_code", "住民票コード", "do_set_resident_code", "counter/changes/resident_code.html", subject="person"),
    Screen("naturalization", "帰化・国籍取得", "do_naturalize", "counter/changes/naturalization.html", subject="person"),
    Screen("nationality_loss", "国籍喪失", "do_record_nationality_loss", "counter/changes/nationality_loss.html",
           subject="person"),
    Screen("cancellation", "異動の取消し", "do_cancel_change", "counter/changes/cancellation.html", subject="change"),
]}
