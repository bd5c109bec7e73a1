"""The place and postcode search as JSON: the same answer /areas/?q= gives a person."""

from stats.place_search import SearchResult


def search_answer(search: SearchResult) -> dict:
    postcode = search.postcode
    shares = {part.code: part for part in postcode.parts} if postcode else {}
    results = [
        {
            "area_code": match.area.code,
            "area_name": match.area.name,
            "area_level": match.area.level,
            "matched": match.described,
            "council": shares[match.area.code].council if postcode else match.place.council,
            "share_percent": float(shares[match.area.code].share) if postcode else None,
        }
        for match in search.matches
    ]
    return {
        "query": search.query,
        "kind": postcode.query.kind if postcode else ("name" if search.query else "empty"),
        "postcode": postcode.query.text if postcode else None,
        "outside": search.outside,
        "said": search.said,
        "count": len(results),
        "results": results,
    }
