"""Scrapy settings for ProdOps Curator: polite and safe by default.

`prodops crawl -s NAME=VALUE` overrides any of them for one run, as `scrapy crawl -s` does.
"""


from pipeline import STAGES
from pipeline.config.entities import DEFAULT_ENTITIES
from pipeline.config.taxonomy import DEFAULT_TAXONOMY

BOT_NAME = "prodops-curator"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Politeness: a User-Agent that names the project, robots.txt obeyed, AutoThrottle on and
# at most two parallel requests per site.
USER_AGENT = "ProdOpsCurator/0.1 (+https://github.com/prodops-curator/prodops-curator)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items of one response processed at once. A page yields one; Scrapy starts this many asyncio
# tasks per response all the same (100 by default: a tenth of the crawler's CPU on fast
# crawls). A feed's items wait for the worker pool anyway (PENDING_PER_WORKER a worker).
CONCURRENT_ITEMS = 16

# Safety: bounded bodies and waits, no control ports, no private network (see
# spiders/middlewares.py; `prodops crawl --allow-private-network` sets the last one).
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
PRODOPS_MAX_CRAWL_DELAY = 30  # seconds; robots.txt Crawl-delay is honoured up to this
PRODOPS_RETRY_AFTER_MAX = 120  # seconds; a longer Retry-After ends the fetch for this run
REDIRECT_MAX_TIMES = 10
# Stateless, as search engines' crawlers are: no cookie a site sets is kept or sent back.
# Public pages need none, and a jar a site fills grows without bound, in memory and in every
# later request to it (a feed setting 40 cookies of 3 KB had them sent back on the 188 requests after).
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
PRODOPS_ALLOW_PRIVATE_NETWORK = False  # allow loopback and private addresses (`--allow-private-network`)
# Connections resolve names here, so the address connected to is the one checked.
TWISTED_DNS_RESOLVER = "spiders.resolver.PublicOnlyResolver"
# An exported http_proxy/https_proxy is not used: the proxy would resolve the target's name
# where the guard cannot see. `-s HTTPPROXY_ENABLED=True` uses it, and then a target that
# does not resolve here is refused (see spiders/middlewares.py).
HTTPPROXY_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # First in line, so robots.txt requests and redirects are checked too, and before
    # HttpProxyMiddleware (750), so the target is checked, not the proxy.
    "spiders.middlewares.NetworkGuardMiddleware": 50,
    "spiders.crawl_delay.CrawlDelayMiddleware": 110,  # right after RobotsTxtMiddleware (100)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry_after.RetryAfterMiddleware": 550,
    # Below the retries, so it sees a robots.txt request's last answer, and above
    # RobotsTxtMiddleware (100), which then reads a server error as "Disallow: /" (RFC 9309).
    "spiders.robots.UnreachableRobotsMiddleware": 540,
    # Before the cache and compression middlewares, so it sees the decoded body.
    "spiders.conditional.ConditionalGetMiddleware": 560,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "pipeline.crawl.runlog.RunLog": 500,
}
# The stage order is written once, in pipeline.STAGES.
ITEM_PIPELINES = {stage: 100 * (position + 1) for position, stage in enumerate(STAGES)}

# ProdOps Curator's own settings.
PRODOPS_DB = "data/prodops.db"  # the database (`--db`)
PRODOPS_SOURCES = "data/sources.yaml"  # the sources file (`--sources`)
PRODOPS_TAXONOMY = str(DEFAULT_TAXONOMY)  # the taxonomy file (concepts and content-type cues)
PRODOPS_ENTITIES = str(DEFAULT_ENTITIES)  # the entities file (tools, frameworks, methods named in documents)
PRODOPS_EXTRACT_WORKERS = 0  # worker processes that parse fetched bodies and run extraction, classification, tagging and signatures; 0 = one per CPU core, at most 4 per core
PRODOPS_WORKER_MEMORY_MB = 1024  # each worker's address space (RLIMIT_AS, once its models are loaded): a body that needs more fails alone; 0 = no cap
PRODOPS_INLINE_STAGES = False  # debugging only: parse and run the stages in the crawler's process, with no time or memory bound
PRODOPS_STORE_VECTORS = True  # keep each document's vectors for search and related documents (off: search by words alone until `prodops retag`)
PRODOPS_CLUSTER = ""  # a Dask scheduler's address (tls://host:8786; tcp:// on this machine): the stages run on its workers (`--cluster`); empty: a local process pool
PRODOPS_CLUSTER_INSECURE = False  # trust a PRODOPS_CLUSTER off this machine without mutual TLS (`--cluster-insecure`; warned on every run)
PRODOPS_TASK_TIMEOUT = 120  # seconds one page's task may take in a worker; past it the worker is replaced and the page recorded as too slow
PRODOPS_MAX_SITEMAPS = 50  # child sitemaps one source may fetch in a run (per-source: max_sitemaps)
PRODOPS_FEED_MAX_ENTRIES = 100  # entries taken from one feed fetch (per-source: max_entries)
PRODOPS_PDF_LINKS_PER_PAGE = 5  # linked PDFs (whitepapers) fetched from one page
PRODOPS_FOLLOW_MIN_RELEVANCE = 0.3  # follow a page's PDF links (and a site's links) only from pages this relevant
PRODOPS_EXTRACTION_FAVOUR = "precision"  # trafilatura's trade-off: precision, balanced or recall (then `prodops reextract` to apply it)
PRODOPS_BODIES_MAX_MB = 1024  # fetched bodies kept (zstd) for `prodops reextract`, oldest dropped past this; 0 = keep none
PRODOPS_SEMANTIC = True  # tag by meaning (word embeddings) as well as by phrases; off: phrases only
PRODOPS_BACKOFF_BASE = 3600  # seconds a failing source is left alone; doubles per failure
PRODOPS_BACKOFF_MAX = 7 * 86400  # longest backoff of a failing source (seconds)
PRODOPS_DISABLE_AFTER = 8  # failures in a row before a source is disabled (410 Gone: at once)
PRODOPS_ONLY: list[str] = []  # source ids to crawl, enabled or not (`--only`; empty: the enabled ones that are due)

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
