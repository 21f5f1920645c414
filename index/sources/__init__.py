"""Web sources: fetching politely (fetch, guard, robots), reading feeds, sitemaps and article pages, and following them."""
