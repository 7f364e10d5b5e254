"""Articles of the bundled sample web, written for this project (not copied from anywhere).

Each is a dict: slug, title, author, date (ISO), summary, paragraphs. The demo and the
tests serve them inside realistic page boilerplate (see sampleweb.py).
"""

from typing import Any

ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "what-product-ops-actually-does",
        "title": "What Product Ops Actually Does in a Growing Company",
        "author": "Maya Okafor",
        "date": "2026-09-02T08:30:00Z",
        "summary": "Product operations systemizes how a product organization works, so that "
        "product managers spend their time on customers instead of spreadsheets.",
        "paragraphs": [
            "Ask ten product leaders what product operations is and you will hear eleven "
            "answers. The most useful definition we have found is plain: product ops is the "
            "team that builds the operating system for the product organization. It owns the "
            "processes, the tools and the data that every product manager relies on, so that "
            "each of them does not have to reinvent them.",
            "In a company with four product managers nobody needs a product ops function. "
            "Each manager keeps a roadmap in a slide deck, talks to customers directly and "
            "reads the analytics dashboard on a Monday morning. At forty product managers the "
            "picture changes. Roadmaps disagree with each other, customer feedback lives in "
            "six tools, and the quarterly planning cycle takes five weeks of meetings.",
            "The first product ops hire usually starts with an inventory. Which tools does the "
            "team pay for, who owns them, and which of them hold the same information twice? "
            "Tool sprawl is the most visible symptom of a product organization that grew "
            "faster than its habits. Consolidating the tech stack is rarely glamorous, but it "
            "frees hours every week.",
            "The second pillar is insight. Product ops connects the customer feedback "
            "repository, the usage analytics and the revenue data so that a product manager "
            "can answer a question such as which customers asked for this feature and how much "
            "they pay us without filing a ticket with the data team.",
            "The third pillar is alignment. Planning rituals, roadmap reviews and the "
            "cadence of business reviews belong to someone. When product ops owns them, the "
            "rituals stay light and the decisions stay with the product leaders.",
            "None of this replaces product management. A good product ops team acts as a "
            "force multiplier: it removes friction so that product managers can do the work "
            "only they can do.",
        ],
    },
    {
        "slug": "onboarding-product-managers-in-30-days",
        "title": "Onboarding New Product Managers in 30 Days: A Playbook",
        "author": "Daniel Reyes",
        "date": "2026-09-16T10:00:00Z",
        "summary": "A step-by-step onboarding playbook for new product managers, with a "
        "checklist for each week of the first month.",
        "paragraphs": [
            "New product managers lose their first months to archaeology: finding the "
            "roadmap, learning which dashboard is trusted and discovering who decides what. "
            "A structured onboarding program turns that into thirty days of deliberate "
            "learning. This playbook is the one our product operations team runs.",
            "Week one is about context. The new manager reads the product strategy, the "
            "last two quarterly business reviews and the current roadmap. They shadow three "
            "customer calls and write down every question they could not answer.",
            "Week two is about tools. They get access to the analytics platform, the "
            "feedback repository and the roadmapping tool, with a thirty-minute walkthrough "
            "of each from the person who administers it. They build one dashboard of their own.",
            "Week three is about people. The onboarding buddy introduces them to their "
            "counterparts in engineering, design, sales and customer success. Each meeting "
            "has one question on the agenda: what do you need from product?",
            "Week four is about the first contribution. The new manager presents a short "
            "memo on one problem their area faces, with data. The goal is not a decision, it "
            "is a conversation that shows they understand the terrain.",
            "Measure the program. We track time to first shipped change and ask every new "
            "hire at day thirty and day ninety how confident they feel. Enablement is a "
            "product too, and it deserves the same feedback loop.",
        ],
    },
    {
        "slug": "building-a-voice-of-the-customer-program",
        "title": "Building a Voice of the Customer Program That Product Teams Use",
        "author": "Priya Raman",
        "date": "2026-10-01T07:15:00Z",
        "summary": "How product operations can centralize customer feedback, tag it "
        "consistently and route insight to the teams that need it.",
        "paragraphs": [
            "Every company collects customer feedback. Few companies use it. Support "
            "tickets, sales call notes, NPS verbatims and feature requests arrive through "
            "different doors and end up in different rooms. A voice of the customer program "
            "gives them one home.",
            "Start with the intake. Decide which channels feed the repository and automate "
            "the capture: a sales note tagged as product feedback should appear in the "
            "repository without anyone copying it. Manual steps are where feedback dies.",
            "Then agree on a taxonomy. Tag each piece of feedback with the product area, "
            "the customer segment and the kind of request. Keep the list of tags short "
            "enough that people remember it; twenty good tags beat two hundred perfect ones.",
            "Close the loop. When a team ships something customers asked for, the people "
            "who asked should hear about it. Product ops can automate the notification and "
            "the account team gets a reason to call.",
            "Finally, report on it. A monthly customer insights digest that lists the top "
            "themes, their trend and the revenue attached to them gives product leaders a "
            "shared picture of what customers are telling us.",
        ],
    },
    {
        "slug": "rationalizing-the-product-tech-stack",
        "title": "Rationalizing the Product Tech Stack Without a Revolt",
        "author": "Maya Okafor",
        "date": "2026-10-14T09:45:00Z",
        "summary": "A practical approach to tool consolidation: inventory, owners, "
        "overlaps and a migration plan people agree with.",
        "paragraphs": [
            "Tool sprawl creeps in one credit card at a time. A team buys a whiteboard app "
            "for a workshop, another team trials a roadmapping tool, and two years later the "
            "product organization pays for four tools that do the same thing.",
            "Begin with an inventory of every tool the product team uses, who pays for it, "
            "who administers it and what data lives inside it. A spreadsheet is enough. The "
            "inventory alone usually reveals overlaps nobody knew about.",
            "Give every tool an owner. Ownership means deciding who gets access, keeping "
            "the integrations working and saying no to duplicates. Product ops often owns "
            "the core stack: the roadmapping tool, the analytics platform and the feedback "
            "repository.",
            "Consolidate with the users, not against them. Pick the tool to keep with a "
            "small group of product managers, migrate their data for them and retire the old "
            "tool on a date announced well in advance.",
            "The reward is a single source of truth. When every roadmap lives in one place "
            "and every dashboard reads from one set of metrics, planning conversations start "
            "from the same facts.",
        ],
    },
    {
        "slug": "okrs-and-quarterly-planning-for-product",
        "title": "OKRs and Quarterly Planning: Keeping Product Strategy Aligned",
        "author": "Lena Fischer",
        "date": "2026-10-28T11:00:00Z",
        "summary": "How a product ops team runs quarterly planning and OKR reviews that keep "
        "strategy, roadmaps and teams aligned without drowning in meetings.",
        "paragraphs": [
            "Quarterly planning is where strategy meets capacity. Done well, it leaves every "
            "team with a few objectives they believe in and a roadmap that serves them. Done "
            "badly, it is five weeks of slides.",
            "Product operations owns the cadence, not the content. The calendar, the "
            "templates and the review meetings are ours; the objectives and key results "
            "belong to the product leaders and their teams.",
            "We keep the template to one page per team: the objective, three key results "
            "with a baseline and a target, the bets that should move them and the risks. A "
            "shared format makes the roll-up to the product strategy review quick.",
            "Alignment happens in the dependencies. Before the review, each team lists what "
            "it needs from other teams. Product ops collects the list and puts the conflicts "
            "on the agenda, so the review spends its time on decisions.",
            "At the end of the quarter we score the key results honestly and write down "
            "what we learned. The retrospective feeds the next planning cycle.",
        ],
    },
    {
        "slug": "product-metrics-dashboards-that-get-read",
        "title": "Product Metrics Dashboards That Actually Get Read",
        "author": "Priya Raman",
        "date": "2026-11-10T08:00:00Z",
        "summary": "Designing product analytics dashboards and reporting rituals around the "
        "decisions they support.",
        "paragraphs": [
            "Most dashboards are built once and opened twice. The problem is seldom the "
            "data; it is that nobody decided which decision the dashboard supports.",
            "Start from the question. A product health dashboard answers whether adoption, "
            "retention and satisfaction move in the right direction for each product area. "
            "It does not answer every question anyone might ask.",
            "Agree on metric definitions before building charts. Product ops keeps a metric "
            "dictionary: each metric has a name, a definition, an owner and the query behind "
            "it. Two dashboards that disagree about active users destroy trust in both.",
            "Make reading the dashboard a ritual. A fifteen-minute weekly metrics review "
            "with the product leads, always at the same time, turns a chart into a habit.",
            "Retire what nobody reads. Every quarter, check the view counts and archive the "
            "dashboards that nobody opened.",
        ],
    },
]

# Guides published without a feed: found through the sitemap, the site crawl and the
# toolkit link list of the sample web.
GUIDES: list[dict[str, Any]] = [
    {
        "slug": "product-ops-glossary",
        "title": "A Product Ops Glossary for New Team Members",
        "author": "Lena Fischer",
        "date": "2026-08-12T09:00:00Z",
        "summary": "Definitions of the terms product operations teams use every day.",
        "paragraphs": [
            "Every function grows its own vocabulary, and product operations is no exception. "
            "This glossary collects the terms new team members ask about most often, with a "
            "plain definition of each and an example of how we use it.",
            "Operating cadence: the recurring set of meetings and reviews that keep product "
            "work moving, such as weekly metrics reviews, monthly roadmap reviews and the "
            "quarterly planning cycle. Product ops designs the cadence and keeps it light.",
            "Feedback repository: the single place where customer feedback from support, "
            "sales and research is stored and tagged, so that product managers can search it.",
            "Metric dictionary: the agreed definitions of product metrics, each with an owner "
            "and the query that computes it. It prevents two dashboards from disagreeing.",
        ],
    },
    {
        "slug": "running-a-product-ops-office-hours",
        "title": "Running Product Ops Office Hours That People Attend",
        "author": "Daniel Reyes",
        "date": "2026-08-26T09:00:00Z",
        "summary": "Weekly office hours make product operations approachable and surface the "
        "friction product managers feel.",
        "paragraphs": [
            "Office hours are the cheapest listening tool a product operations team has. "
            "Once a week, for one hour, anyone in the product organization can drop in with a "
            "question about tools, data, process or planning.",
            "Keep a public log of the questions. After a month the log shows patterns: the "
            "dashboard nobody can find, the template that confuses everyone, the access "
            "request that takes a week. Each pattern is a small project for the team.",
            "Rotate the host so that every member of the team hears the questions first hand, "
            "and close the loop in the product newsletter when a recurring question is fixed.",
        ],
    },
    {
        "slug": "product-ops-hiring-scorecard",
        "title": "A Hiring Scorecard for Your First Product Ops Manager",
        "author": "Maya Okafor",
        "date": "2026-07-15T09:00:00Z",
        "summary": "What to look for when hiring the first product operations manager, and how "
        "to score the interviews.",
        "paragraphs": [
            "The first product operations hire shapes the function for years. Hire for "
            "judgment about where friction hurts most, not for familiarity with one tool.",
            "Our scorecard has four rows: systems thinking, analytical skills, facilitation "
            "skills and credibility with product managers. Each interviewer scores one or two "
            "rows with evidence from the conversation, never a gut feeling.",
            "Ask candidates to walk through a process they simplified, the data they used to "
            "decide and what they stopped doing. The best answers name what they removed.",
        ],
    },
    {
        "slug": "roadmap-review-rituals",
        "title": "Roadmap Review Rituals for Distributed Product Teams",
        "author": "Priya Raman",
        "date": "2026-06-30T09:00:00Z",
        "summary": "How distributed product teams review roadmaps asynchronously without losing "
        "alignment.",
        "paragraphs": [
            "Distributed teams cannot rely on hallway conversations to keep roadmaps aligned. "
            "An asynchronous roadmap review gives every team the same information at the same "
            "time and saves the live meeting for decisions.",
            "Each team posts a short written update a day before the review: what changed on "
            "the roadmap, why, and which dependencies it touches. Product ops compiles the "
            "updates into one digest and flags conflicts.",
            "The live review then lasts thirty minutes and covers only the flagged conflicts. "
            "Everything else was already read.",
        ],
    },
    {
        "slug": "state-of-product-ops-2026",
        "title": "The State of Product Operations 2026 (Report)",
        "author": "Operating Rhythm Research",
        "date": "2026-10-20T09:00:00Z",
        "summary": "Our annual survey of product operations teams: size, scope, tools and what "
        "leaders expect from the function.",
        "paragraphs": [
            "We surveyed product operations practitioners about the size of their teams, "
            "what they own and how their leaders measure them. Download the full report as a "
            "PDF below.",
            "Highlights: most teams started with tooling and data, and added planning and "
            "enablement in their second year. Teams that own the customer feedback "
            "repository report the strongest support from product leaders.",
        ],
    },
]

REPORT_TEXT = [
    "The State of Product Operations 2026",
    "Executive summary",
    "Product operations teams grew again this year. The median team has four people and",
    "reports to the chief product officer. Tooling and business data remain the core scope,",
    "while onboarding and enablement programs are the fastest growing responsibility.",
    "Teams that run the quarterly planning cadence report higher satisfaction from product",
    "managers, and teams that own the voice of the customer program report the strongest",
    "support from product leaders.",
]
