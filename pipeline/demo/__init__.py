"""The bundled sample web: the offline demo and the test suite crawl it on 127.0.0.1."""
