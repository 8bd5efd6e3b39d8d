def test_the_api_docs_page_loads_its_scripts_from_our_own_static_files(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn." not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
