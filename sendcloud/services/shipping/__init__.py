"""Shipping knowledge: what Sendcloud will accept for an order, in one place.

routes          which option ships which route (from the Abgleich's `ShippingRoute` rows), its
                price per weight band, lead time, size limit and required fields
choice          which options fit an order, the option an order ships with, and the automatic
                choice (cheapest, fastest, cheapest of one carrier) with its reason
address         the destination address checks Sendcloud and the carriers would refuse
service_points  points near the delivery address, the chosen point, Packstation data
"""
