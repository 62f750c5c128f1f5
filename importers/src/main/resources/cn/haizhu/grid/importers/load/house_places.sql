SELECT code, grid_code, community_code, street_code FROM house
