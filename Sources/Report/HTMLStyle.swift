/// The page's inline stylesheet (no external fonts or assets: the page must work offline).
enum HTMLStyle {
    static let css = """
    body { font-family: Helvetica, Arial, 'Liberation Sans', sans-serif; color: #222; margin: 0; background: #f6f6f4; }
    main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
    h1 { font-size: 26px; margin: 8px 0 4px; }
    h2 { font-size: 19px; margin: 36px 0 6px; padding-top: 10px; border-top: 1px solid #ddd; }
    p.source { color: #666; margin: 0 0 12px; }
    p.blurb { color: #444; max-width: 900px; line-height: 1.4; }
    p.missing { color: #8a4b00; background: #fff6e8; border-left: 4px solid #e69f00; padding: 8px 12px; }
    code { background: #f0f0f0; padding: 1px 4px; border-radius: 3px; font-size: 0.92em; }
    nav a { margin-right: 12px; font-size: 14px; }
    figure { margin: 16px 0; }
    figure svg { max-width: 100%; height: auto; display: block; }
    figcaption { color: #666; font-size: 13px; margin-top: 2px; }
    table { border-collapse: collapse; font-size: 13px; margin: 10px 0 20px; }
    th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: right; white-space: nowrap; }
    th { background: #f3f3f3; }
    td.text, th.text { text-align: left; }
    ul.summary { line-height: 1.6; }
    """
}
