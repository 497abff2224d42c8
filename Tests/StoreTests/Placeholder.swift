import Testing

@Test func targetBuilds() { #expect(1 + 1 == 2) }
