"""Every certificate as an Open Badges 3.0 credential: the issuer's DID and keys, the signed
credential, baked badges, the revocation status list and the check of a credential."""
