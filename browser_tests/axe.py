"""Run axe-core in the page and return its serious and critical violations."""

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def serious(browser, source):
    """Inject axe-core (through the driver: the page's CSP does not apply) and run it."""
    browser.set_script_timeout(60)
    if not browser.execute_script("return typeof axe !== 'undefined'"):
        browser.execute_script(source)
    found = browser.execute_async_script(RUN)
    return [v for v in found if v["impact"] in ("serious", "critical")]
