#!/usr/bin/python3
"""The booking page in a real browser: chromium through selenium.

usage: appt-web-browser.py BASE OUTDIR

Opens BASE/ (appt-web behind a web server), picks the first service and
its first free time, fills and sends the form, and checks the
confirmation. Screenshots of the services, the week, the form and the
confirmation at 360, 390 (844 high) and 1280 (800 high) pixels wide go
to OUTDIR, and of the pages to move and to cancel at 360; at phone widths
nothing may be wider than the screen (scrollWidth <= clientWidth).
Prints the confirmation's URL (the manage link) on success.
"""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, outdir = sys.argv[1], sys.argv[2]

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--no-first-run",
          "--disable-extensions", "--hide-scrollbars",
          "--window-size=1280,800"):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                       options=opts)
drv.set_page_load_timeout(30)


def fail(msg):
    print("browser: " + msg, file=sys.stderr)
    print("browser: at " + drv.current_url, file=sys.stderr)
    drv.quit()
    sys.exit(1)


def size(width, height):
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1,
        "mobile": width < 600})


def shot(name, width):
    """A screenshot of the whole page at this width."""
    high = 844 if width == 390 else 800
    size(width, high)
    h = drv.execute_script(
        "return document.documentElement.scrollHeight")
    size(width, max(high, min(h, 2400)))
    drv.save_screenshot("%s/%s-%d.png" % (outdir, name, width))
    if width < 600:
        sw, cw = drv.execute_script(
            "var e = document.documentElement;"
            "return [e.scrollWidth, e.clientWidth]")
        if sw > cw:
            fail("%s at %d px: scrollWidth %d > clientWidth %d"
                 % (name, width, sw, cw))
    size(width, 800)


pages = {}
size(360, 800)
drv.get(base + "/")
pages["services"] = drv.current_url
if "Book an appointment" not in drv.title:
    fail("no services page: " + drv.title)
drv.find_elements(By.CSS_SELECTOR, "a.btn")[0].click()
pages["week"] = drv.current_url
slots = drv.find_elements(By.CSS_SELECTOR, "a.slot")
if not slots:
    fail("no free time on the week page")
slots[0].click()
pages["form"] = drv.current_url
drv.find_element(By.ID, "name").send_keys("Mia Browser")
drv.find_element(By.ID, "email").send_keys("mia@example.com")
drv.find_element(By.ID, "note").send_keys("First visit\nfrom the web")
for name in ("services", "week", "form"):
    drv.get(pages[name])
    shot(name, 360)
    shot(name, 390)
    shot(name, 1280)
# Sent as a customer would: typed, then the button.
drv.get(pages["form"])
size(360, 800)
drv.find_element(By.ID, "name").send_keys("Mia Browser")
drv.find_element(By.ID, "email").send_keys("mia@example.com")
drv.find_element(By.ID, "note").send_keys("First visit\nfrom the web")
drv.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
body = drv.find_element(By.TAG_NAME, "body").text
if "You are booked" not in body:
    fail("no confirmation: " + body)
pages["confirmation"] = drv.current_url
shot("confirmation", 360)
shot("confirmation", 390)
shot("confirmation", 1280)
link = drv.current_url
# The customer's choices: another time, or to cancel.
drv.get(link.split("?")[0] + "?from=")
if not drv.find_elements(By.CSS_SELECTOR, "button.slot"):
    fail("no times to move to")
shot("move", 360)
drv.get(link.split("?")[0] + "?ask=cancel")
shot("cancel", 360)
print(link)
drv.quit()
