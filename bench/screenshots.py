"""Screenshots of the self-test and the group's page in headless Chromium, at phone and
desktop sizes: start, a question, an answered question; for the README and reviews.

    python bench/screenshots.py [OUT_DIR]    (default docs/screenshots)
"""

import sys
from pathlib import Path
from selenium import webdriver
from selenium.webdriver.common.by import By
ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
out.mkdir(parents=True, exist_ok=True)
o = webdriver.ChromeOptions(); o.binary_location = "/usr/bin/chromium"
for a in ("--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"): o.add_argument(a)
d = webdriver.Chrome(options=o, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
page = ROOT / "decks" / "brockman" / "selftest.html"
for name, size, q in (("phone", (360, 740), "?seed=1&lang=zh"), ("phone-both", (360, 740), "?seed=1&lang=both"), ("desktop", (1280, 900), "?seed=1&lang=zh")):
    d.set_window_size(*size); d.get(page.as_uri() + q)
    d.find_element(By.ID, "start").click(); d.save_screenshot(str(out / f"{name}-question.png"))
    d.find_elements(By.CSS_SELECTOR, "#options button")[1].click(); d.save_screenshot(str(out / f"{name}-answered.png"))
d.set_window_size(360, 740); d.get((ROOT / "decks" / "index.html").as_uri()); d.save_screenshot(str(out / "group-page.png"))
d.quit(); print(sorted(p.name for p in out.iterdir()))
