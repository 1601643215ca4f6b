"""Every change to a self-evaluation, one module per concept. Each is an `@action`: keyword
parameters only, the first being `actor`, its rule in havering_improve/roles.py."""
