print("scalefit")
