"""The project's CSV format (issue #15 item 9): RFC 4180 (CRLF after every record, quotes only where a comma,
quote or line break needs them), UTF-8 with a BOM on downloads so Excel reads Japanese; streamed record by
record with the same bytes as the whole file."""

import io

from jumin.core.csvfile import csv_response, iter_csv, write_csv

ROWS = [["仙台市", 1, 'a "quoted", text'], ["改行\nあり", 2, ""]]


def test_records_end_in_crlf_and_only_cells_that_need_it_are_quoted():
    assert write_csv(ROWS, ["市", "件数", "備考"]) == (
        '市,件数,備考\r\n仙台市,1,"a ""quoted"", text"\r\n"改行\nあり",2,\r\n')


def test_writing_to_a_stream_gives_the_same_text():
    out = io.StringIO()
    assert write_csv(ROWS, ["市", "件数", "備考"], out) is None
    assert out.getvalue() == write_csv(ROWS, ["市", "件数", "備考"])


def test_the_stream_is_one_chunk_per_record_with_the_bom_first():
    chunks = list(iter_csv(iter(ROWS), ["市", "件数", "備考"]))
    assert len(chunks) == 3 and chunks[0].startswith(b"\xef\xbb\xbf") and not chunks[1].startswith(b"\xef\xbb\xbf")
    assert b"".join(chunks).decode("utf-8-sig") == write_csv(ROWS, ["市", "件数", "備考"])
    assert list(iter_csv([], bom=True)) == [b"\xef\xbb\xbf"] and list(iter_csv([], bom=False)) == []


def test_the_download_names_the_file_in_japanese_with_an_ascii_fallback():
    response = csv_response(ROWS, filename="日計表-本庁1.csv", ascii_filename="nikkei.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ("attachment; filename=\"nikkei.csv\"; "
                                               "filename*=UTF-8''%E6%97%A5%E8%A8%88%E8%A1%A8-%E6%9C%AC%E5%BA%811.csv")
    assert response.content.decode("utf-8-sig") == write_csv(ROWS)
    streamed = csv_response(iter(ROWS), filename="日計表.csv", stream=True)
    assert streamed.streaming and b"".join(streamed.streaming_content) == response.content
    assert 'filename="___.csv"' in streamed["Content-Disposition"]
