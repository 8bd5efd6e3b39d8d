"""The search keys' part of `jumin generate`: a bulk load bypasses the change actions that keep the keys in
step, so the keys of the whole register are rebuilt in one go once the register's part is loaded."""

from jumin.core.synthetic import Contributor, Result, Run


class SearchKeysContributor(Contributor):
    name = "search"
    after = ("register",)

    def generate(self, run: Run) -> Result:
        from jumin.search.bulk import reindex_all

        run.report("検索キーを作成しています…")
        keys = reindex_all()
        run.report(f"検索キー {keys['keys']:,} 件 {keys['seconds']:,.0f} 秒")
        return Result(rows=[("検索キー", f"{keys['keys']:,}")], seconds=keys["seconds"], data=keys)


CONTRIBUTOR = SearchKeysContributor()
