"""A site's listings lead on (spiders/site.py, pipeline/stages/follow.py): pagination and
list pages of a site the curator chose are followed whatever the relevance of their text,
while an off-topic article's own links stay gated and are counted as not followed."""

from __future__ import annotations

import re

import sqlite_utils
from conftest import FAST, run_prodops, write_sources

from pipeline.config.sources import Source
from pipeline.demo.webserver import Route, StaticWeb

DISHES = ["Lentil Soup", "Roast Chicken", "Banana Bread", "Tomato Risotto", "Fish Tacos", "Apple Crumble",
          "Beef Stew", "Pea Pesto", "Lemon Tart", "Bean Chili", "Pancakes", "Fried Rice", "Carrot Cake",
          "Onion Tart", "Pumpkin Pie", "Potato Gratin", "Mushroom Pasta", "Plum Jam", "Chickpea Curry", "Flatbread"]
PER_PAGE = 10


def slug(dish: str) -> str:
    return re.sub(r"\W+", "-", dish.lower())


def page(title: str, main: str) -> bytes:
    """A small blog page: header navigation, the main content, a footer."""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | Kitchen Notes</title>"
            "</head><body><header><a href='/blog/'>Kitchen Notes</a></header>"
            f"<main>{main}</main><footer><p>Recipes tested at home since 2014.</p></footer></body></html>").encode()


def article(index: int, dish: str) -> bytes:
    other = DISHES[(index + 1) % len(DISHES)]
    paragraphs = "".join(f"<p>{text}</p>" for text in (
        f"{dish} is one of those dishes that rewards patience. Start with good ingredients, a heavy pan and "
        "an afternoon with nothing else to do, and the kitchen will smell wonderful for hours.",
        "Chop the vegetables evenly so that they cook at the same pace, season a little at every stage rather "
        "than all at the end, and taste as you go. Keep the heat moderate; a scorched base cannot be rescued.",
        "Serve it warm with crusty bread and a green salad dressed with lemon and olive oil. Leftovers keep in "
        "the fridge for three days and taste even better the next day, gently reheated.",
    ))
    return page(dish, f"<article><h1>{dish}</h1>{paragraphs}<p>Related recipe: "
                      f"<a href='/blog/{slug(other)}'>{other}</a></p></article>")


def listing(number: int, pages: int) -> bytes:
    dishes = DISHES[(number - 1) * PER_PAGE:number * PER_PAGE]
    items = "".join(f"<li><h2><a href='/blog/{slug(dish)}'>{dish}</a></h2><p>Our family recipe for {dish.lower()}, "
                    "tested many times on weeknights and at weekends, with notes on what to prepare ahead, how "
                    "long it keeps and what to serve beside it.</p></li>" for dish in dishes)
    older = f"<a href='/blog/page/{number + 1}/'>Older posts</a>" if number < pages else ""
    return page(f"Kitchen Notes, page {number}", f"<h1>Recipes</h1><ul>{items}</ul><nav>{older}</nav>")


def test_a_paginated_site_of_off_topic_articles_stores_every_article(tmp_path):
    pages = len(DISHES) // PER_PAGE
    routes = {"/robots.txt": Route(b"", "text/plain"), "/blog/": Route(listing(1, pages))}
    routes.update({f"/blog/page/{n}/": Route(listing(n, pages)) for n in range(2, pages + 1)})
    routes.update({f"/blog/{slug(dish)}": Route(article(i, dish)) for i, dish in enumerate(DISHES)})
    with StaticWeb(routes) as web:
        source = Source("kitchen", "Kitchen Notes", "site", f"{web.base_url}/blog/",
                        settings={"allow": ["/blog/"], "max_depth": 3, "max_pages": 100})
        db_path = tmp_path / "c.db"
        result = run_prodops("crawl", "--sources", str(write_sources(tmp_path / "s.yaml", [source])),
                             "--db", str(db_path), "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stdout + result.stderr
    db = sqlite_utils.Database(db_path)
    stored = {row["url"].removeprefix(web.base_url): row["relevance"] for row in db["documents"].rows}
    # Page 2 has main text (its titles) and is off topic: it still leads on.
    assert stored.get("/blog/page/2") is not None and stored["/blog/page/2"] < 0.3
    assert {f"/blog/{slug(dish)}" for dish in DISHES} <= set(stored)
    assert max(stored[f"/blog/{slug(dish)}"] for dish in DISHES) < 0.3
    # Gated: each article's own links (its related recipe and the header's link home).
    assert f"Not followed: {2 * len(DISHES)} link(s) of {len(DISHES)} page(s)" in result.stdout, result.stdout


def test_a_page_whose_main_text_is_mostly_its_links_is_a_listing():
    from pipeline.items import Page
    from pipeline.stages.follow import is_listing

    titles = [f"{dish}: the recipe we cook every week" for dish in DISHES[:8]]
    index = Page(url="https://k.example/blog/category/desserts/", source_id="k", found_via="site",
                 link_texts=titles + ["Kitchen Notes"], document={"text": "Desserts\n" + "\n".join(titles)})
    assert is_listing(index)
    body = " ".join(article(0, DISHES[0]).decode().split("<p>")[1:4])  # an article mentions one link
    story = Page(url="https://k.example/blog/lentil-soup", source_id="k", found_via="site",
                 link_texts=[DISHES[1], "Kitchen Notes"], document={"text": body})
    assert not is_listing(story)
