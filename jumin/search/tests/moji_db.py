"""A tiny moji.db with the real schema (mji, joyo and the MJ縮退マップ tables), to test the mapping rules."""

import sqlite3

TABLES = ("戸籍統一文字情報_親字正字", "法務省告示582号別表第四_一", "法務省告示582号別表第四_二",
          "JIS包摂規準UCS統合規則", "辞書類等による関連字")


def make_moji_db(path, characters, maps, joyo=()):
    """characters: (MJ, 対応するUCS, 実装したUCS, IVS, SVS); maps: {table: [(MJ, 縮退UCS, rank)]}."""
    db = sqlite3.connect(path)
    db.execute('CREATE TABLE mji ("MJ文字図形名" TEXT PRIMARY KEY, "対応するUCS" TEXT, "実装したUCS" TEXT, '
               '"実装したMoji_JohoコレクションIVS" TEXT, "実装したSVS" TEXT)')
    db.executemany("INSERT INTO mji VALUES (?, ?, ?, ?, ?)", characters)
    db.execute('CREATE TABLE joyo ("漢字" TEXT, "音訓" TEXT)')
    db.executemany("INSERT INTO joyo VALUES (?, '')", [(ch,) for ch in joyo])
    for table in TABLES:
        rank = {"戸籍統一文字情報_親字正字": ', "ホップ数" INTEGER'}.get(table, ', "順位" INTEGER')
        db.execute(f'CREATE TABLE "mjsm_{table}" ("MJ文字図形名" TEXT, "縮退UCS" TEXT, "縮退X0213" TEXT{rank})')
        db.executemany(f'INSERT INTO "mjsm_{table}" VALUES (?, ?, \'\', ?)', maps.get(table, []))
    db.commit()
    db.close()
    return path
