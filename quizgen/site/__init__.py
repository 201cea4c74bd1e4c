"""The group's page and the self-test: static HTML, no server, no network request of any kind.

Both read the quiz as data (`quiz.json`); the page also reads which files each text's build
wrote. Templates, CSS and the little JavaScript they need are package data beside this module.
"""
