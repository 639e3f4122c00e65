"""The shell answers in Swedish and sends strangers to the log-in page."""


def test_start_page_sends_anonymous_visitor_to_login(app):
    response = app.test_client().get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/logga-in")


def test_login_page_is_swedish_with_skip_link(app):
    html = app.test_client().get("/logga-in").get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert 'href="#main"' in html and "Hoppa till innehållet" in html
    assert "<h1>Logga in</h1>" in html


def test_coordinator_logs_in_and_lands_in_their_municipality(create_user, login):
    user = create_user(municipalities={"amal": "coordinator"})
    client = login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/k/amal/")
    assert "Åmåls kommun" in client.get("/k/amal/").get_data(as_text=True)
